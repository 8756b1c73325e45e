// One moto server per test file for the aws provisioner tests: planted credentials, a throwaway clusterproof cache
// (saved cluster states), and provisioner clients pointed at it. Call useAwsMoto() at the top of a test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { provisionClients, type ProvisionClients } from '../../../harness/provision/aws/clients.ts';
import { clusterRequest } from '../../../harness/provision/request.ts';
import type { ClusterRequest } from '../../../harness/model/cluster.ts';
import { startMoto, type MotoServer } from '../../support/motoServer.ts';

export const REGION = 'eu-west-1';
export const IMAGE = 'ami-12c6146b'; // one of moto's built-in AMIs
export const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAPLANTEDMOTO00042',
  AWS_SECRET_ACCESS_KEY: 'planted-secret-Zq81vXk3',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface AwsMoto {
  moto: MotoServer;
  c: ProvisionClients;
  cache: string;
  request(name: string, runId: string, counts?: { controlPlanes: number; workers: number }): ClusterRequest;
}

export function useAwsMoto(motoEnv: Record<string, string> = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' }): AwsMoto {
  const ctx = {} as AwsMoto;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    ctx.moto = await startMoto(motoEnv);
    ctx.cache = mkdtempSync(join(tmpdir(), 'clusterproof-aws-'));
    for (const [k, v] of Object.entries({ ...AWS_ENV, CLUSTERPROOF_CACHE: ctx.cache })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    ctx.c = provisionClients({ region: REGION, endpoint: ctx.moto.url });
    ctx.request = (name, runId, counts = { controlPlanes: 1, workers: 1 }) =>
      clusterRequest(undefined, { provider: 'aws', name, region: REGION, endpointUrl: ctx.moto.url, ...counts }, 'x', runId);
  }, 60_000);
  afterAll(async () => {
    ctx.c?.destroy();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await ctx.moto?.stop();
    if (ctx.cache) rmSync(ctx.cache, { recursive: true, force: true });
  });
  return ctx;
}
