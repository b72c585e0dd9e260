/**
 * The topic configs quorumd accepts, with Kafka's names, value rules and defaults. A small set of
 * real ones: enough for clients to create, alter and describe topics with configs, and for the
 * checker to see a wrong value rejected as INVALID_CONFIG.
 */

interface ConfigRule {
  /** Why `value` is not acceptable, or null. */
  check(value: string): string | null;
  /** Kafka's default, as describe would show it. */
  defaultValue: string;
}

const INT32_MAX = 2 ** 31 - 1;
const INT64_SAFE_MAX = Number.MAX_SAFE_INTEGER;

function integerIn(min: number, max: number): (value: string) => string | null {
  return (value) => {
    if (!/^-?[0-9]+$/.test(value)) return `"${value}" is not an integer`;
    const n = Number(value);
    if (n < min || n > max) return `${value} is not in [${min}, ${max}]`;
    return null;
  };
}

function oneOf(allowed: readonly string[]): (value: string) => string | null {
  return (value) => (allowed.includes(value) ? null : `"${value}" is not one of ${allowed.join(', ')}`);
}

function cleanupPolicy(value: string): string | null {
  // The values topics are created with: one policy, nothing to split or trim (the same verdict).
  if (value === 'delete' || value === 'compact') return null;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => p !== 'delete' && p !== 'compact')) return `"${value}" is not a list of delete and compact`;
  if (new Set(parts).size !== parts.length) return `"${value}" repeats a policy`;
  return null;
}

export const TOPIC_CONFIG_RULES: Readonly<Record<string, ConfigRule>> = {
  'cleanup.policy': { check: cleanupPolicy, defaultValue: 'delete' },
  'compression.type': {
    check: oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']),
    defaultValue: 'producer',
  },
  'max.message.bytes': { check: integerIn(0, INT32_MAX), defaultValue: '1048588' },
  'min.insync.replicas': { check: integerIn(1, INT32_MAX), defaultValue: '1' },
  'retention.bytes': { check: integerIn(-1, INT64_SAFE_MAX), defaultValue: '-1' },
  'retention.ms': { check: integerIn(-1, INT64_SAFE_MAX), defaultValue: '604800000' },
  'segment.bytes': { check: integerIn(14, INT32_MAX), defaultValue: '1073741824' },
  'segment.ms': { check: integerIn(1, INT64_SAFE_MAX), defaultValue: '604800000' },
};

/** Why a set of topic configs is not acceptable (the first problem, by config name), or null. */
export function topicConfigsProblem(configs: unknown): string | null {
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    return 'configs must be an object of names to string values';
  }
  for (const name of Object.keys(configs).sort()) {
    const rule = TOPIC_CONFIG_RULES[name];
    if (rule === undefined || !Object.hasOwn(TOPIC_CONFIG_RULES, name)) return `unknown topic config ${name}`;
    const value = (configs as Record<string, unknown>)[name];
    if (typeof value !== 'string') return `topic config ${name} must be a string, got ${typeof value}`;
    const problem = rule.check(value);
    if (problem !== null) return `invalid value for topic config ${name}: ${problem}`;
  }
  return null;
}
