/**
 * kafkajs Admin clients for integration tests: quiet logs, short retries (a test waits on its
 * own terms), and a helper that returns the Kafka error type a call failed with.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';

export async function connectAdmin(brokers: string[], clientId = 'integration-test'): Promise<Admin> {
  const kafka = new Kafka({
    clientId, brokers, logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  return admin;
}

/** The Kafka error type names a failed call carries (one per topic for aggregate errors). */
export async function errorTypes(call: Promise<unknown>): Promise<string[]> {
  try {
    await call;
  } catch (error) {
    type KafkaJsError = { type?: string; errors?: { type?: string }[]; originalError?: KafkaJsError; cause?: KafkaJsError };
    const e = error as KafkaJsError;
    // Errors kafkajs retried wrap the last one (KafkaJSNumberOfRetriesExceeded's cause).
    const inner = e.originalError ?? e.cause ?? e;
    if (Array.isArray(inner.errors)) return inner.errors.map((x) => x.type ?? 'UNKNOWN');
    return [inner.type ?? (error as Error).message];
  }
  return [];
}
