/**
 * Importer for Porcupine's `test_data/kv/cNN-*.txt`: one EDN map per line,
 * `{:process N, :type :invoke|:ok, :f :get|:put|:append, :key "k", :value "v"|nil}`.
 *
 * The key is folded into the value as Jepsen's independent-key tuple `[key, value]`, since our
 * operation format has no key field: a get is invoked with `[k, null]` and answered `[k, "text"]`;
 * put and append are invoked with `[k, "text"]`. Porcupine's kv model starts every key at "" and
 * its get must return the whole current string; the kv models here do the same. There are no
 * times in the log: they are synthesized from positions.
 */
import { HistoryFormatError } from '../history-format-error.js';
import { readEdnEntries } from '../edn/edn-reader.js';
import { ednName } from '../edn/edn-to-json.js';
import { keyword } from '../edn/edn-value.js';
import { operationsFromEdnEntries } from '../edn/jepsen-history.js';
import type { Operation } from '../operation.js';

const KEY = keyword('key');

export function parsePorcupineKvLog(text: string): Operation[] {
  return operationsFromEdnEntries(readEdnEntries(text), (entry, value, line) => {
    const key = entry.get(KEY);
    const keyText = typeof key === 'number' ? String(key) : ednName(key ?? undefined);
    if (keyText === undefined) {
      throw new HistoryFormatError('missing-field', line, 'a kv log entry needs :key (a string, keyword or integer)');
    }
    return [keyText, value];
  });
}
