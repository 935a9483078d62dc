export interface Config {
  conductor?: {
    /**
     * Who may do what in Maestro Conductor (docs/security.md). Group refs
     * may be short (`conductor-admins`) or full (`group:default/conductor-admins`).
     * Membership is direct membership as the catalog records it.
     */
    permissions?: {
      /**
       * Members may do everything: start collections, compliance runs and
       * controls reloads, approve and revoke anything. Empty: nobody.
       */
      adminGroups?: string[];
      /**
       * Members may approve exemptions and overrides (never their own: the
       * backend refuses self-approval) and revoke them. Empty: only admins.
       */
      approverGroups?: string[];
      /**
       * Whether every signed-in user may read every entity's evidence,
       * scores and decisions. When false, a team reads only what it owns.
       * Default true, as catalogs usually are.
       */
      openReads?: boolean;
    };
  };
}
