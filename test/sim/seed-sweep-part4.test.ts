// Part 4 of 4 of the CI sweep of simulated seeds (see seed-sweep.ts).
import { describe } from 'vitest';
import { sweepPart } from './seed-sweep.js';

describe('simulated seeds, part 4 of 4', () => sweepPart(3));
