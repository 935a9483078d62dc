export interface Config {
  conductor?: {
    goldenPaths?: {
      git?: {
        /**
         * Directory holding the bare git repositories `publish:git` creates
         * (`<remoteBase>/<name>.git`), and the checkouts the catalog reads
         * (`<remoteBase>/.catalog/<name>`).
         */
        remoteBase?: string;
        /** Author of the first commit. Default: Maestro Conductor scaffolder. */
        authorName?: string;
        authorEmail?: string;
      };
      /** How long `conductor:golden-path:register` waits for the catalog to ingest the new component, in seconds (default 60). */
      catalogWaitSeconds?: number;
    };
  };
}
