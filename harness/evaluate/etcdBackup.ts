// Control `etcd-backup`: a scheduled etcd snapshot exists, runs at least every `maxIntervalHours`, lands
// off-cluster and is encrypted where the spec asks. One CronJob must satisfy everything on its own: an
// hourly local snapshot plus a weekly upload does not give an hourly off-cluster backup.
// Detection rules for "takes a snapshot", "off-cluster" and "encrypted" live in etcdBackup/snapshotJob.ts.
import type { V1CronJob } from '@kubernetes/client-node';
import type { Evidence } from '../model/findings.ts';
import type { EtcdBackupSpec } from '../model/spec.ts';
import type { Evaluator } from '../model/evaluator.ts';
import type { ClusterState } from '../model/state.ts';
import { maxGapMinutes, parseCron } from './etcdBackup/cronSchedule.ts';
import { analyseJob, BACKUP_ANNOTATION } from './etcdBackup/snapshotJob.ts';
import { finding, notAskedFor } from '../findings/finding.ts';
import { clusterRef, kubeRef, refLabel } from './evidence/objectRef.ts';
import { errorMessage } from '../errors.ts';

const CONTROL_ID = 'etcd-backup';
const LAYER = 'config';

type Verdict = 'pass' | 'fail' | 'error';
interface JobVerdict {
  job: V1CronJob;
  verdict: Verdict;
  shortfalls: string[];
  /** What the job does, for the pass message: interval, destination, encryption. */
  summary: string;
  evidence: Evidence[];
}

export const evaluateEtcdBackup: Evaluator = ({ state, spec }) => {
  const backup = spec.spec.etcdBackup;
  if (!backup) return [notAskedFor(CONTROL_ID, LAYER, 'etcd backups', 'etcdBackup', clusterRef(spec.metadata.name))];
  const result = (r: Verdict | 'not-applicable', message: string, evidence: Evidence[], job?: V1CronJob) => [
    finding({
      controlId: CONTROL_ID,
      layer: LAYER,
      result: r,
      message,
      evidence,
      subject: job ? kubeRef(state, 'CronJob', job) : clusterRef(spec.metadata.name),
    }),
  ];

  if (!backup.required) {
    return result('not-applicable', 'The spec does not require etcd backups (etcdBackup.required: false).', [
      { type: 'rule', rule: 'spec.etcdBackup.required' },
    ]);
  }
  if (managedEtcd(state)) {
    return result('not-applicable', 'EKS manages etcd: it cannot be snapshotted by the cluster owner; AWS backs it up.', [
      {
        type: 'observation',
        what: 'EKS clusters',
        observed: state.cloud.eksClusters.map((c) => c.name),
        detail: 'no self-managed control-plane nodes',
      },
    ]);
  }

  const rule: Evidence = {
    type: 'rule',
    rule: `etcd snapshot CronJob: command/args run "etcdctl|etcdutl snapshot save" or annotation ${BACKUP_ANNOTATION}: "true"`,
  };
  const candidates = state.kubernetes.cronJobs.filter((job) => analyseJob(job).takesSnapshot !== false);
  if (candidates.length === 0) {
    return result('fail', `No CronJob takes etcd snapshots (examined ${state.kubernetes.cronJobs.length} CronJobs).`, [
      rule,
      {
        type: 'observation',
        what: 'CronJobs examined',
        observed: state.kubernetes.cronJobs.map((j) => `${j.metadata?.namespace}/${j.metadata?.name}`),
      },
    ]);
  }

  const verdicts = candidates.map((job) => judgeJob(state, job, backup));
  const passing = verdicts.find((v) => v.verdict === 'pass');
  const evidence = [rule, ...verdicts.flatMap((v) => v.evidence)];
  if (passing) {
    return result(
      'pass',
      `CronJob ${label(passing.job)} takes etcd snapshots that meet the spec: ${passing.summary}.`,
      evidence,
      passing.job,
    );
  }
  const worst = verdicts.find((v) => v.verdict === 'fail') ?? verdicts[0]!;
  const summary = verdicts.map((v) => `${label(v.job)}: ${v.shortfalls.join('; ')}`).join(' | ');
  return result(worst.verdict, `No etcd snapshot CronJob meets the spec — ${summary}.`, evidence, worst.job);
};

function label(job: V1CronJob): string {
  return `${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`;
}

/** EKS with no self-managed control-plane nodes: etcd is AWS's. */
function managedEtcd(state: ClusterState): boolean {
  const selfManaged = state.kubernetes.nodes.some((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined);
  return state.cloud.eksClusters.length > 0 && !selfManaged && state.kubernetes.controlPlane.etcdMembers.length === 0;
}

function judgeJob(state: ClusterState, job: V1CronJob, backup: EtcdBackupSpec): JobVerdict {
  const ref = kubeRef(state, 'CronJob', job);
  const analysis = analyseJob(job);
  const fails: string[] = [];
  const errors: string[] = [];
  const evidence: Evidence[] = [
    {
      type: 'object',
      ref,
      detail: analysis.takesSnapshot === 'annotation' ? `declared a backup by annotation ${BACKUP_ANNOTATION}` : 'runs etcd snapshot save',
    },
  ];

  if (job.spec?.suspend) fails.push('suspended (spec.suspend: true)');

  const schedule = job.spec?.schedule ?? '';
  const summary: string[] = [];
  if (backup.offCluster) summary.push(`off-cluster (${analysis.offCluster.why})`);
  if (backup.encrypted && analysis.encryption) summary.push(`encrypted (${analysis.encryption})`);
  try {
    const gap = maxGapMinutes(parseCron(schedule));
    const gapHours = gap === undefined ? undefined : gap / 60;
    if (gapHours !== undefined) summary.unshift(`"${schedule}" runs at most ${round(gapHours)}h apart`);
    if (backup.maxIntervalHours !== undefined) {
      evidence.push({
        type: 'comparison',
        what: `longest interval between runs of "${schedule}" (hours)`,
        expected: `<= ${backup.maxIntervalHours}`,
        actual: gapHours ?? 'never runs twice',
        ref,
      });
      if (gapHours === undefined || gapHours > backup.maxIntervalHours) {
        fails.push(
          `schedule "${schedule}" leaves up to ${gapHours === undefined ? 'forever' : `${round(gapHours)}h`} between snapshots (max ${backup.maxIntervalHours}h)`,
        );
      }
    } else {
      evidence.push({
        type: 'observation',
        what: `longest interval between runs of "${schedule}" (hours)`,
        observed: gapHours ?? 'never runs twice',
        detail: 'spec sets no maxIntervalHours',
      });
    }
  } catch (cause) {
    errors.push(`schedule "${schedule}" cannot be parsed: ${errorMessage(cause)}`);
  }

  if (backup.offCluster) {
    evidence.push({
      type: 'observation',
      what: 'snapshot destination',
      observed: analysis.offCluster.verdict,
      detail: analysis.offCluster.why,
    });
    if (analysis.offCluster.verdict === 'no') fails.push(`not off-cluster: ${analysis.offCluster.why}`);
    if (analysis.offCluster.verdict === 'undetermined') errors.push(analysis.offCluster.why);
  }
  if (backup.encrypted) {
    evidence.push({
      type: 'observation',
      what: 'snapshot encryption',
      observed: analysis.encryption ?? 'none found',
      detail: analysis.commands.join(' | '),
    });
    if (analysis.encryption === undefined) fails.push('no encryption step or KMS key found in the job');
  }

  const verdict: Verdict = fails.length > 0 ? 'fail' : errors.length > 0 ? 'error' : 'pass';
  return {
    job,
    verdict,
    shortfalls: [...fails, ...errors],
    summary: summary.join(', '),
    evidence: [
      ...evidence,
      {
        type: 'observation',
        what: `${refLabel(ref)} verdict`,
        observed: verdict,
        detail: [...fails, ...errors].join('; ') || 'meets the spec',
      },
    ],
  };
}

function round(hours: number): number {
  return Math.round(hours * 100) / 100;
}
