/**
 * Every message nodes send each other, described once, as data: its code on the wire and its
 * fields. peer-codec.ts derives the binary encoder and decoder of each from this table through the
 * Kafka codec's generator (kafka/protocol/schema-codec.ts), as Kafka's own generated messages are.
 *
 * A field's kind says both its wire type and how the core's value maps onto it:
 *   int32, float64, bool, string    as they are (offsets and ids are float64: exact to 2^53)
 *   node?                           a node id or null: int32, -1 for null (Kafka's "no leader")
 *   string?                         a string or null: a nullable string
 *   optional string / optional float64 / optional json / optional struct
 *                                   the property may be absent: null on the wire (NaN for a
 *                                   float64), and absent again when decoded
 *   int32[]                         an array of int32
 *   batch                           a log entry's metadata records: the record codec's bytes
 *                                   (storage/batch-codec.ts), not JSON
 *   optional bytes                  raw bytes the property may lack (a FetchSnapshot piece: a
 *                                   slice of the snapshot file's bytes, storage/snapshot-format.ts)
 *   json                            a value of many shapes that is small and rare on the hot path
 *                                   (a metadata operation and its result, a quorum description, a
 *                                   voter change): its JSON text, as bytes (no 32 KiB string limit)
 *   struct, struct[]                nested fields
 *   optional struct[]               a list of nested fields the property may lack: null on the wire
 *
 * A message the table does not know (the core grew one) still travels, as JSON under code 127, so
 * the transport never drops what consensus sends; add it here to make it binary.
 */

export type PeerFieldKind =
  | 'int32' | 'float64' | 'bool' | 'string' | 'node?' | 'string?' | 'int32[]' | 'batch' | 'optional bytes' | 'json'
  | 'optional string' | 'optional float64' | 'optional json' | 'optional struct' | 'optional struct[]' | 'struct' | 'struct[]';

export interface PeerField {
  readonly name: string;
  readonly kind: PeerFieldKind;
  /** For struct kinds. */
  readonly fields?: readonly PeerField[];
}

export interface PeerMessageSpec {
  /** The message's `type`, as the core names it ('hello' is the transport's own). */
  readonly type: string;
  /** Its code on the wire: never reuse or renumber one. */
  readonly code: number;
  readonly fields: readonly PeerField[];
}

/** Messages the table does not know travel as JSON under this code. */
export const JSON_MESSAGE_CODE = 127;

const f = (name: string, kind: PeerFieldKind, fields?: readonly PeerField[]): PeerField =>
  (fields === undefined ? { name, kind } : { name, kind, fields });

/** The answer header every response carries. */
const RESPONSE = [f('error', 'optional string'), f('epoch', 'int32'), f('leaderId', 'node?')] as const;
const SNAPSHOT_ID = [f('endOffset', 'float64'), f('epoch', 'int32')] as const;
const ENDPOINT = [f('name', 'string'), f('host', 'string'), f('port', 'int32')] as const;

export const PEER_MESSAGES: readonly PeerMessageSpec[] = [
  { type: 'hello', code: 0, fields: [f('nodeId', 'int32'), f('clusterId', 'string')] },
  // ---- consensus (core/raft/messages.ts)
  {
    type: 'vote-request', code: 1, fields: [
      f('clusterId', 'string'), f('candidateEpoch', 'int32'), f('candidateId', 'int32'), f('candidateDirectoryId', 'string?'),
      f('voterDirectoryId', 'string?'), f('lastEpoch', 'int32'), f('lastEpochEndOffset', 'float64'), f('preVote', 'bool'),
    ],
  },
  { type: 'vote-response', code: 2, fields: [...RESPONSE, f('voteGranted', 'bool'), f('preVote', 'bool'), f('candidateEpoch', 'int32')] },
  { type: 'begin-quorum-epoch', code: 3, fields: [f('clusterId', 'string'), f('epoch', 'int32'), f('leaderId', 'int32')] },
  { type: 'begin-quorum-epoch-response', code: 4, fields: RESPONSE },
  {
    type: 'end-quorum-epoch', code: 5,
    fields: [f('clusterId', 'string'), f('epoch', 'int32'), f('leaderId', 'int32'), f('preferredSuccessors', 'int32[]')],
  },
  { type: 'end-quorum-epoch-response', code: 6, fields: RESPONSE },
  // Code 7 was Fetch without maxBytes (answers bounded by records, not bytes); retired when the
  // fetcher came to say how many bytes of entries its frames hold.
  {
    type: 'fetch', code: 29, fields: [
      f('clusterId', 'string'), f('epoch', 'int32'), f('replicaId', 'int32'), f('replicaDirectoryId', 'string?'),
      f('fetchOffset', 'float64'), f('lastFetchedEpoch', 'int32'), f('fetchId', 'float64'), f('incarnationId', 'string'),
      f('readRound', 'float64'), f('maxBytes', 'int32'),
    ],
  },
  {
    type: 'fetch-response', code: 8, fields: [
      ...RESPONSE, f('fetchId', 'float64'), f('incarnationId', 'string'), f('highWatermark', 'float64'),
      f('logStartOffset', 'float64'),
      f('entries', 'struct[]', [f('offset', 'float64'), f('epoch', 'int32'), f('record', 'batch')]),
      f('divergingEpoch', 'optional struct', [f('epoch', 'int32'), f('endOffset', 'float64')]),
      f('snapshotId', 'optional struct', SNAPSHOT_ID),
      f('readRound', 'float64'),
      f('leaderEndpoints', 'optional struct[]', ENDPOINT),
    ],
  },
  // Codes 9 and 10 were FetchSnapshot and its answer carrying the whole snapshot; retired when
  // snapshots went in pieces by position.
  {
    type: 'fetch-snapshot', code: 26,
    fields: [
      f('clusterId', 'string'), f('epoch', 'int32'), f('replicaId', 'int32'), f('replicaDirectoryId', 'string?'),
      f('snapshotId', 'struct', SNAPSHOT_ID), f('position', 'float64'), f('maxBytes', 'int32'),
    ],
  },
  {
    type: 'fetch-snapshot-response', code: 27,
    fields: [
      ...RESPONSE, f('snapshotId', 'optional struct', SNAPSHOT_ID), f('size', 'optional float64'), f('position', 'optional float64'),
      f('bytes', 'optional bytes'),
    ],
  },
  {
    type: 'read-index', code: 11,
    fields: [f('clusterId', 'string'), f('epoch', 'int32'), f('readId', 'float64'), f('incarnationId', 'string')],
  },
  {
    type: 'read-index-response', code: 12,
    fields: [...RESPONSE, f('readId', 'float64'), f('incarnationId', 'string'), f('readIndex', 'float64')],
  },
  {
    type: 'update-voter', code: 13, fields: [
      f('clusterId', 'string'), f('epoch', 'int32'), f('voterId', 'int32'), f('voterDirectoryId', 'string?'),
      f('endpoints', 'struct[]', ENDPOINT),
    ],
  },
  { type: 'update-voter-response', code: 14, fields: RESPONSE },
  // ---- forwarding to the active controller (core/forwarding.ts)
  {
    type: 'forward-request', code: 20, fields: [
      f('clusterId', 'string'), f('epoch', 'int32'), f('incarnationId', 'string'), f('forwardId', 'float64'), f('operation', 'json'),
    ],
  },
  {
    type: 'forward-response', code: 21, fields: [
      f('incarnationId', 'string'), f('forwardId', 'float64'), f('outcome', 'string'), f('result', 'optional json'),
      f('error', 'optional json'), f('applyOffset', 'optional float64'), f('committedOffset', 'optional float64'),
      f('committedEpoch', 'optional float64'), f('epoch', 'int32'), f('leaderId', 'node?'),
    ],
  },
  { type: 'describe-quorum-query', code: 22, fields: [f('clusterId', 'string'), f('incarnationId', 'string'), f('queryId', 'float64')] },
  { type: 'describe-quorum-answer', code: 23, fields: [f('incarnationId', 'string'), f('queryId', 'float64'), f('description', 'json')] },
  // Code 24 was the voter-change query without the epoch of the leader it asks; retired when the
  // epoch was added, so nodes of different versions never take one for the other.
  {
    type: 'voter-change-query', code: 28,
    fields: [f('clusterId', 'string'), f('epoch', 'int32'), f('incarnationId', 'string'), f('queryId', 'float64'), f('change', 'json')],
  },
  { type: 'voter-change-answer', code: 25, fields: [f('incarnationId', 'string'), f('queryId', 'float64'), f('result', 'json')] },
];
