export interface Config {
  app?: {
    /**
     * Demo-only: people of the demo organisation the sign-in page offers
     * besides guest (the backend's `demo` auth provider signs in only these).
     */
    demoSignIn?: {
      /** @visibility frontend */
      people?: Array<{
        /**
         * Catalog User name in the default namespace.
         * @visibility frontend
         */
        user: string;
        /**
         * What signing in as them lets you try.
         * @visibility frontend
         */
        title: string;
      }>;
    };
  };
}
