import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Told the name of a platform table this process has just written. */
export type PlatformWriteListener = (table: string) => void;

/**
 * Watches the statements this process sends to the platform store and tells listeners which
 * tables they wrote, before the statement and again once it answered, so a cache in this
 * process forgets at once what its own requests change. Other processes' writes, and raw SQL
 * text, are not seen here: caches poll a counter for those.
 */
export class PlatformWriteWatch implements KyselyPlugin {
  private readonly listeners = new Set<PlatformWriteListener>();
  private readonly written = new WeakMap<object, string>();

  listen(listener: PlatformWriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.listeners.size > 0) {
      const table = writtenTable(args.node);
      if (table !== undefined) {
        this.written.set(args.queryId, table);
        this.tell(table);
      }
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const table = this.written.get(args.queryId);
    if (table !== undefined) {
      this.written.delete(args.queryId);
      this.tell(table);
    }
    return args.result;
  }

  private tell(table: string): void {
    for (const listener of this.listeners) listener(table);
  }
}

function writtenTable(node: RootOperationNode): string | undefined {
  switch (node.kind) {
    case 'InsertQueryNode':
      return node.into ? tableName(node.into) : undefined;
    case 'UpdateQueryNode':
      return node.table ? tableName(node.table) : undefined;
    case 'DeleteQueryNode':
      return node.from.froms[0] ? tableName(node.from.froms[0]) : undefined;
    default:
      return undefined;
  }
}

function tableName(node: OperationNode): string | undefined {
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return undefined;
}
