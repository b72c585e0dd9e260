/** `quorumd random-uuid`: prints a new cluster id (as `kafka-storage random-uuid`). */
import { randomKafkaUuid } from '../../node/random-uuid.js';
import { EXIT_VALID } from '../subcommands.js';

export async function main(_args: string[]): Promise<number> {
  process.stdout.write(`${randomKafkaUuid()}\n`);
  return EXIT_VALID;
}
