/**
 * A plan's holders at other sites: `"remote": [{"holder": 3, "request": "exchange/request-3.json",
 * "contribution": "exchange/contribution-3.json", "timeoutSeconds": 600}]`. The runner writes
 * each request before the local participants present, then waits for each contribution file
 * to appear (whole: the holder's side writes it elsewhere and renames it into place, as
 * `contribute` itself does) and hands it to the session, which counts it if it is valid.
 */
import {existsSync} from 'node:fs';
import {dirname} from 'node:path';
import * as z from 'zod';
import type {DrillSession} from './session.js';

export const remoteSchema = z
  .array(
    z.strictObject({
      holder: z.number().int().min(1).max(10),
      request: z.string().min(1),
      contribution: z.string().min(1),
      timeoutSeconds: z
        .number()
        .positive()
        .max(7 * 24 * 3600),
    }),
  )
  .max(10);
export type PlanRemote = z.infer<typeof remoteSchema>[number];

/** Why these remote entries cannot run (paths already resolved), or undefined. */
export function remoteProblem(
  remote: readonly PlanRemote[],
  absent: readonly number[],
): string | undefined {
  const seen = new Set<number>();
  for (const r of remote) {
    if (seen.has(r.holder)) return `holder ${r.holder} is called remotely twice`;
    seen.add(r.holder);
    if (absent.includes(r.holder)) return `holder ${r.holder} is both absent and remote`;
    for (const path of [r.request, r.contribution]) {
      if (!existsSync(dirname(path))) return `the folder of ${path} does not exist`;
      // A file left from an earlier drill would be refused or overwritten: it must be moved.
      if (existsSync(path)) return `${path} already exists (an earlier drill's?): move it away`;
    }
  }
  const paths = remote.flatMap((r) => [r.request, r.contribution]);
  return new Set(paths).size === paths.length ? undefined : 'two remote entries name one file';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes every request; returns the deadline of each holder called. */
export async function callRemotes(
  remote: readonly PlanRemote[],
  session: DrillSession,
  tell: (line: string) => void,
): Promise<Map<number, number>> {
  const deadlines = new Map<number, number>();
  for (const r of remote) {
    if (session.getState().step !== 'collect') break;
    const called = await session.remote.call(r.holder, {file: r.request}, r.timeoutSeconds * 1000);
    if (!called.ok) {
      tell(`holder ${r.holder} (remote): not called — ${called.error}`);
      continue;
    }
    tell(`holder ${r.holder} (remote): request written to ${r.request}, code ${called.value.code}`);
    deadlines.set(r.holder, Date.now() + r.timeoutSeconds * 1000);
  }
  return deadlines;
}

/** Waits for each called holder's contribution (up to its deadline) and hands it over. */
export async function awaitContributions(
  remote: readonly PlanRemote[],
  deadlines: ReadonlyMap<number, number>,
  session: DrillSession,
  tell: (line: string) => void,
): Promise<void> {
  for (const r of remote) {
    const deadline = deadlines.get(r.holder);
    if (deadline === undefined) continue;
    while (!existsSync(r.contribution) && Date.now() < deadline) {
      if (session.getState().step !== 'collect') return;
      await sleep(200);
    }
    if (session.getState().step !== 'collect') return;
    if (!existsSync(r.contribution)) {
      tell(
        `holder ${r.holder} (remote): no share taken — no contribution at ${r.contribution} within ${r.timeoutSeconds} s`,
      );
      continue;
    }
    const accepted = await session.remote.receiveFile(r.contribution);
    const h = session.getState().holders.find((x) => x.index === r.holder);
    tell(
      accepted
        ? `holder ${r.holder}${h?.name ? ` (${h.name})` : ''}, remote: contribution accepted`
        : `holder ${r.holder} (remote): no share taken — ${session.getState().notice?.text ?? 'the contribution was refused'}`,
    );
  }
}
