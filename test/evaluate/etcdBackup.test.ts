import { describe, expect, it } from 'vitest';
import { evaluateEtcdBackup } from '../../harness/evaluate/etcdBackup.ts';
import type { EtcdBackupSpec } from '../../harness/model/spec.ts';
import type { ClusterState } from '../../harness/model/state.ts';
import { control, cronJob, node, spec, state } from './stateBuilder.ts';

const FULL: EtcdBackupSpec = { required: true, maxIntervalHours: 24, offCluster: true, encrypted: true };
const run = (s: ClusterState, etcdBackup: EtcdBackupSpec | null = FULL) =>
  evaluateEtcdBackup({ state: s, spec: spec(etcdBackup ? { etcdBackup } : {}), control: control('etcd-backup') });
const one = (s: ClusterState, b: EtcdBackupSpec | null = FULL) => {
  const out = run(s, b);
  expect(out).toHaveLength(1);
  return out[0]!;
};
const withJobs = (...jobs: ReturnType<typeof cronJob>[]) =>
  state((s) => {
    s.kubernetes.cronJobs.push(...jobs);
    s.kubernetes.nodes.push(node('cp-1', { controlPlane: true }));
  });

const GOOD_SCRIPT =
  'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 snapshot save /backup/snap.db && aws s3 cp /backup/snap.db s3://acme-etcd/prod/ --sse aws:kms';

describe('etcd-backup', () => {
  it('is not-applicable when the spec has no section or does not require backups', () => {
    expect(one(state(), null).result).toBe('not-applicable');
    expect(one(state(), { required: false }).result).toBe('not-applicable');
  });

  it('is not-applicable on EKS, where etcd is AWS-managed', () => {
    expect(
      one(
        state((s) => {
          s.cloud.eksClusters.push({ name: 'prod', tags: {} });
        }),
      ).message,
    ).toMatch(/EKS manages etcd/);
  });

  it('fails when no CronJob takes an etcd snapshot', () => {
    const f = one(withJobs(cronJob('ops', 'logrotate', '0 * * * *', 'logrotate /etc/logrotate.conf')));
    expect(f.result).toBe('fail');
    expect(f.message).toMatch(/examined 1 CronJobs/);
  });

  it('passes a daily encrypted upload to S3', () => {
    const f = one(withJobs(cronJob('kube-system', 'etcd-backup', '0 2 * * *', GOOD_SCRIPT)));
    expect(f.result).toBe('pass');
    expect(f.subject).toMatchObject({ kind: 'CronJob', namespace: 'kube-system', name: 'etcd-backup' });
  });

  it('fails a schedule with a longer gap than maxIntervalHours', () => {
    const f = one(withJobs(cronJob('kube-system', 'etcd-backup', '0 2 * * 1-5', GOOD_SCRIPT)));
    expect(f.result).toBe('fail');
    expect(f.message).toMatch(/72h between snapshots \(max 24h\)/);
  });

  it('fails a snapshot kept on a hostPath, and cannot judge a PVC', () => {
    const local = cronJob('kube-system', 'etcd-backup', '0 * * * *', 'etcdutl snapshot save /var/backups/snap.db | gpg --encrypt -r ops', {
      volumes: [{ name: 'out', hostPath: { path: '/var/backups' } }],
    });
    expect(one(withJobs(local)).message).toMatch(/not off-cluster: snapshot stays on node-local volumes \(out\)/);
    const pvc = cronJob(
      'kube-system',
      'etcd-backup',
      '0 * * * *',
      'etcdctl snapshot save /out/snap.db; openssl enc -aes-256-cbc -in /out/snap.db',
      { volumes: [{ name: 'out', persistentVolumeClaim: { claimName: 'backups' } }] },
    );
    expect(one(withJobs(pvc)).result).toBe('error');
    const nfs = cronJob(
      'kube-system',
      'etcd-backup',
      '0 * * * *',
      'etcdctl snapshot save /out/snap.db; age -r age1xyz -o /out/snap.age /out/snap.db',
      { volumes: [{ name: 'out', nfs: { server: 'backup.corp', path: '/etcd' } }] },
    );
    expect(one(withJobs(nfs)).result).toBe('pass');
  });

  it('requires an encryption step only when the spec asks', () => {
    const plain = cronJob(
      'kube-system',
      'etcd-backup',
      '0 2 * * *',
      'etcdctl snapshot save /tmp/s.db && gsutil cp /tmp/s.db gs://acme-etcd/',
    );
    expect(one(withJobs(plain)).result).toBe('fail');
    expect(one(withJobs(plain), { ...FULL, encrypted: false }).result).toBe('pass');
    const kmsEnv = cronJob(
      'kube-system',
      'etcd-backup',
      '0 2 * * *',
      'etcdctl snapshot save /tmp/s.db && gsutil cp /tmp/s.db gs://acme-etcd/',
      { env: [{ name: 'BACKUP_KMS_KEY', value: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' }] },
    );
    expect(one(withJobs(kmsEnv)).result).toBe('pass');
  });

  it('one compliant job is enough; suspended jobs and unparseable schedules do not count', () => {
    const suspended = cronJob('kube-system', 'old', '0 * * * *', GOOD_SCRIPT, { suspend: true });
    expect(one(withJobs(suspended)).message).toMatch(/suspended/);
    expect(one(withJobs(cronJob('kube-system', 'bad', 'every day', GOOD_SCRIPT))).result).toBe('error');
    expect(one(withJobs(suspended, cronJob('kube-system', 'etcd-backup', '0 */4 * * *', GOOD_SCRIPT))).result).toBe('pass');
  });

  it('accepts a job declared by annotation, and says so in the evidence', () => {
    const annotated = cronJob('backup', 'vendor-tool', '0 3 * * *', '/usr/bin/backup-tool --to s3://acme/etcd --kms-key alias/etcd', {
      annotations: { 'clusterproof.dev/etcd-backup': 'true' },
    });
    const f = one(withJobs(annotated));
    expect(f.result).toBe('pass');
    expect(JSON.stringify(f.evidence)).toContain('declared a backup by annotation');
  });
});
