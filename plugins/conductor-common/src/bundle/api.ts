import { BundleScope } from './model';

/** `POST /bundles`: exactly one of entityRef, team, all; since is an ISO time. */
export interface CreateBundleRequest {
  entityRef?: string;
  team?: string;
  all?: boolean;
  since?: string;
}

/** A stored bundle as `GET /bundles` lists it. */
export interface BundleSummary {
  id: number;
  scope: BundleScope;
  since: string | null;
  createdAt: string;
  createdBy: string;
  keyId: string;
  fileCount: number;
  sizeBytes: number;
  /** SHA-256 of the whole archive, to compare a downloaded copy. */
  archiveSha256: string;
  /** Relative to the plugin's base URL. */
  downloadPath: string;
}

/** `GET /bundles`. */
export interface BundleListResponse {
  bundles: BundleSummary[];
  /** Whether the caller may create bundles (the portal shows the button). */
  canCreate: boolean;
}
