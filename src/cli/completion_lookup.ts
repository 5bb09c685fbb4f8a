/** The connection flags the typed words carry, for looking names up in the cluster they name. */
export interface CompletionConnection {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  allNamespaces?: boolean;
}

/** A kind to list the names of, with the apiVersion it is served at. */
export interface NamedKind {
  kind: string;
  apiVersion: string;
}

/**
 * Where completion finds names that live outside the command tree. Each answers an empty list when it
 * cannot tell (no cluster, a timeout): completion never fails.
 */
export interface CompletionLookup {
  /** Names of the kind's objects in the connection's namespace (in every namespace with -A). */
  names(kind: NamedKind, conn: CompletionConnection): Promise<string[]>;
  namespaces(conn: CompletionConnection): Promise<string[]>;
  /** Context names in the kubeconfig the connection would use. */
  contexts(conn: CompletionConnection): Promise<string[]>;
}
