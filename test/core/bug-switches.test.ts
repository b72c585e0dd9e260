/**
 * Bug switches are refused at start-up unless the unsafe flag is given too, and the refusal names
 * the switch: in the core's own settings, in server.properties, and in the simulator's world.
 */
import { describe, expect, it } from 'vitest';
import { BUG_SWITCH_NAMES } from '../../src/core/bug-switches.js';
import { resolveQuorumNodeConfig } from '../../src/core/quorum-node-config.js';
import { parseServerConfig } from '../../src/node/config/server-config.js';
import { resolveRunOptions } from '../../src/run/options.js';
import { planRun } from '../../src/run/pipeline.js';
import { simWorldMaker } from '../../src/run/worlds/sim-world.js';
import { WorldSetupError } from '../../src/run/world.js';

const NODE = { nodeId: 1, voters: [1, 2, 3], clusterId: 'c' };

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

const PROPERTIES = [
  'node.id=1', 'process.roles=broker,controller', 'controller.quorum.voters=1@node1:9093,2@node2:9093,3@node3:9093',
  'listeners=PLAINTEXT://:9092,CONTROLLER://:9093', 'controller.listener.names=CONTROLLER', 'log.dirs=/var/lib/quorumd/data',
].join('\n');

describe('bug switches', () => {
  it('are off by default', () => {
    expect(resolveQuorumNodeConfig(NODE).unsafeSwitches.size).toBe(0);
  });

  it.each(BUG_SWITCH_NAMES)('%s is refused without the unsafe flag, by name, and taken with it', (name) => {
    const refusal = messageOf(() => resolveQuorumNodeConfig({ ...NODE, bugSwitches: [name] }));
    expect(refusal).toContain(`refusing to start with bug switch ${name}`);
    expect(refusal).toContain('unsafe.bug.switches.enable=true');
    expect(messageOf(() => resolveQuorumNodeConfig({ ...NODE, bugSwitches: [name], unsafeBugSwitchesEnabled: false }))).toContain(name);
    expect([...resolveQuorumNodeConfig({ ...NODE, bugSwitches: [name], unsafeBugSwitchesEnabled: true }).unsafeSwitches]).toEqual([name]);
  });

  it('an unknown switch is refused with the known ones, flag or not', () => {
    const refusal = messageOf(() => resolveQuorumNodeConfig({ ...NODE, bugSwitches: ['vote-twice'], unsafeBugSwitchesEnabled: true }));
    expect(refusal).toContain("unknown bug switch 'vote-twice'");
    expect(refusal).toContain('pre-vote-off');
  });

  it('server.properties: unsafe.bug.switches is refused without unsafe.bug.switches.enable=true, naming the key and the switch', () => {
    const refusal = messageOf(() => parseServerConfig(`${PROPERTIES}\nunsafe.bug.switches=check-quorum-off`));
    expect(refusal).toContain('unsafe.bug.switches');
    expect(refusal).toContain('check-quorum-off');
    expect(messageOf(() => parseServerConfig(`${PROPERTIES}\nunsafe.bug.switches=check-quorum-off\nunsafe.bug.switches.enable=yes`)))
      .toContain("unsafe.bug.switches.enable: must be true or false, got 'yes'");
    const config = parseServerConfig(`${PROPERTIES}\nunsafe.bug.switches=check-quorum-off,pre-vote-off\nunsafe.bug.switches.enable=true`);
    expect(config.quorum.bugSwitches).toEqual(['check-quorum-off', 'pre-vote-off']);
    expect(config.quorum.unsafeBugSwitchesEnabled).toBe(true);
  });

  it('the simulator: a run with a switch and no unsafe flag does not start, and says which switch', async () => {
    const options = resolveRunOptions({ env: 'sim', nodeConfig: { 'unsafe.bug.switches': 'commit-without-majority' } }, 1);
    const error = await simWorldMaker()(planRun(options), () => undefined).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorldSetupError);
    expect((error as Error).message).toContain('refusing to start with bug switch commit-without-majority');
    const allowed = resolveRunOptions({ env: 'sim', nodeConfig: { 'unsafe.bug.switches': 'commit-without-majority', 'unsafe.bug.switches.enable': 'true' } }, 1);
    await expect(simWorldMaker()(planRun(allowed), () => undefined)).resolves.toBeDefined();
  });
});
