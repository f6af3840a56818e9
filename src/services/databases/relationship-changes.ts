import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import { findDocumentsByIds, updateDocumentsIn } from '../../data/documents/document-bulk.js';
import type { StoredDocument } from '../../data/documents/document-store.js';
import { documentAllows } from './document-access.js';
import type { Caller } from '../../core/caller.js';
import type { CollectionContext } from './schema-context.js';

/** A document a write reached through relationships (or a delete removed), as it ended up, to publish after the commit. */
export interface RelatedWrite {
  context: CollectionContext;
  row: StoredDocument;
  action: 'create' | 'update' | 'delete';
}

interface Entry {
  context: CollectionContext;
  id: string;
  action: 'create' | 'update';
}

/**
 * The documents a relationship write creates or changes besides the one it names. A
 * document whose links change is changed as much as one whose values do: the caller needs
 * the update permission a direct update of it would, and it gets a new `$updatedAt` and an
 * update event of its own.
 */
export class RelatedChanges {
  private readonly entries = new Map<string, Entry>();

  /** `caller` undefined: the changes follow from a delete and need no permission of their own. */
  constructor(private readonly caller: Caller | undefined) {}

  created(context: CollectionContext, id: string): void {
    this.entries.set(keyOf(context, id), { context, id, action: 'create' });
  }

  /**
   * Stored documents whose values or links change; refused unless the caller may update each.
   * Documents this write creates, or counted already, pass; missing ones change nothing.
   */
  async changed(trx: Kysely<any>, context: CollectionContext, ids: readonly string[]): Promise<void> {
    const fresh = [...new Set(ids)].filter((id) => !this.entries.has(keyOf(context, id)));
    if (fresh.length === 0) return;
    for (const row of await findDocumentsByIds(trx, context.collection.seq, fresh)) this.changedRow(context, row);
  }

  /** One stored document whose values or links change, as `changed`, its row read already. */
  changedRow(context: CollectionContext, row: StoredDocument): void {
    const key = keyOf(context, row._uid);
    if (this.entries.has(key)) return;
    if (this.caller && !documentAllows(this.caller, context.collection, row, 'update')) throw new AppError('user_unauthorized');
    this.entries.set(key, { context, id: row._uid, action: 'update' });
  }

  /** A document the same write deletes: its delete event says enough. */
  forget(context: CollectionContext, id: string): void {
    this.entries.delete(keyOf(context, id));
  }

  /**
   * Stamps the changed documents with the time of the write and reads every one back for its
   * event, leaving out `self` (the document the write names, which has its own event).
   */
  async settle(trx: Kysely<any>, updatedAt: string, self?: { context: CollectionContext; id: string }): Promise<RelatedWrite[]> {
    if (self) this.forget(self.context, self.id);
    const byCollection = new Map<number, { context: CollectionContext; created: string[]; changed: string[] }>();
    for (const { context, id, action } of this.entries.values()) {
      let group = byCollection.get(context.collection.seq);
      if (!group) byCollection.set(context.collection.seq, (group = { context, created: [], changed: [] }));
      (action === 'create' ? group.created : group.changed).push(id);
    }
    const written: RelatedWrite[] = [];
    for (const { context, created, changed } of byCollection.values()) {
      const seq = context.collection.seq;
      for (const row of await findDocumentsByIds(trx, seq, created)) written.push({ context, row, action: 'create' });
      const stale = await findDocumentsByIds(trx, seq, changed);
      const stamped = await updateDocumentsIn(trx, seq, stale.map((row) => row._seq), { values: {}, updatedAt });
      for (const row of stamped) written.push({ context, row, action: 'update' });
    }
    return written;
  }
}

function keyOf(context: CollectionContext, id: string): string {
  return `${context.collection.seq}:${id}`;
}
