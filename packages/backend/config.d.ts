export interface Config {
  /** Demo-only: serve example repositories for the evidence collectors. */
  demoRepositories?: {
    /** Directory holding one folder per demo repository. */
    root?: string;
  };
}
