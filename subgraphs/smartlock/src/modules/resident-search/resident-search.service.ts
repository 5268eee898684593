import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import type { IRoomRef } from '@portal/subgraph-kit';
import { badUserInput, residentConditionsForbidden } from './resident-search.errors.ts';
import { ResidentSearchRepository, decodeRoomCursor, encodeRoomCursor, type ResidentSearchFilter } from './resident-search.repository.ts';
import { refusedResidentConditions } from './resident-search.rule.ts';

const MAX_PAGE = 200;

export interface ResidentSearchPage {
  edges: { cursor: string; node: IRoomRef }[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** 入居者・Smartlock受取者検索: checks the conditions against the caller's scopes, then pages the read model. */
export class ResidentSearchService {
  constructor(private readonly em: EntityManager, private readonly identity: Identity) {}

  async search(filter: ResidentSearchFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<ResidentSearchPage> {
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw badUserInput('first', `first must be between 1 and ${MAX_PAGE}`);
    const cursor = after ? decodeRoomCursor(after) : null;
    if (after && !cursor) throw badUserInput('after', 'after is not a valid cursor');
    const refused = refusedResidentConditions(filter, this.identity.scopes as ReadonlySet<string>);
    if (refused.length > 0) throw residentConditionsForbidden(refused);

    const repo = new ResidentSearchRepository(this.em);
    const [{ rows, hasNextPage }, totalCount] = await Promise.all([repo.page(filter, size, cursor), repo.count(filter)]);
    const edges = rows.map((node) => ({ node, cursor: encodeRoomCursor({ apNo: node.apNo, roomNumber: node.roomNumber, roomId: node.roomId }) }));
    return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
