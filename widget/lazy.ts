/** A module fetched on demand: once, and again after a failed fetch. */
export interface Lazy<M> {
  /** Fetches the module (once; again on the call after a failure) and resolves with it. */
  load(): Promise<M>;
  /** The module if it is in, without fetching it. */
  loaded(): M | undefined;
  /** The fetch under way, if one is. */
  pending(): Promise<M> | undefined;
  /** Resolves once some call to `load()` has brought the module in, without fetching it; never rejects. */
  readonly arrived: Promise<M>;
}

/** `lazy(() => import('./x.js'))`: nothing is fetched until `load()` is first called. */
export function lazy<M>(importer: () => Promise<M>): Lazy<M> {
  let module: { value: M } | undefined;
  let attempt: Promise<M> | undefined;
  let settle!: (module: M) => void;
  const arrived = new Promise<M>((resolve) => (settle = resolve));
  return {
    load() {
      if (module) return Promise.resolve(module.value);
      attempt ??= importer().then(
        (m) => {
          module = { value: m };
          attempt = undefined;
          settle(m);
          return m;
        },
        (error: unknown) => {
          attempt = undefined;
          throw error;
        },
      );
      return attempt;
    },
    loaded: () => module?.value,
    pending: () => attempt,
    arrived,
  };
}
