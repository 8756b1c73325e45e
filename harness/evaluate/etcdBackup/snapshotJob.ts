// What a CronJob's containers do, read from their command, args and env — the only static evidence of where
// a snapshot goes. The patterns are the tables below; what they cannot tell is said, not guessed: the
// BACKUP_ANNOTATION stands for tools we cannot recognise (the owner's claim, and the evidence says so), and a PVC
// is undetermined, since whether it is off-cluster depends on its PersistentVolume (not collected). hostPath and
// emptyDir volumes die with the node.
import type { V1CronJob, V1Container, V1Volume } from '@kubernetes/client-node';

export const BACKUP_ANNOTATION = 'clusterproof.dev/etcd-backup';

const SNAPSHOT = /\b(etcdctl|etcdutl)\b[^;&|\n]*\bsnapshot\s+save\b/;
const OFF_CLUSTER_TEXT: [RegExp, string][] = [
  [/\bs3:\/\/[^\s"']+/, 'S3 URL'],
  [/\bgs:\/\/[^\s"']+/, 'GCS URL'],
  [/\b[a-z0-9]+\.blob\.core\.windows\.net\b/, 'Azure Blob URL'],
  [/\baws\s+s3\s+(cp|sync|mv)\b/, 'aws s3 upload'],
  [/\bgsutil\s+(-\S+\s+)*cp\b/, 'gsutil upload'],
  [/\bgcloud\s+storage\s+cp\b/, 'gcloud storage upload'],
  [/\baz\s+storage\s+blob\s+upload/, 'az storage blob upload'],
];
const OBJECT_STORE_CSI = /(s3\.csi\.aws\.com|gcsfuse|blob\.csi\.azure\.com|csi-s3)/;
const ENCRYPTION_TEXT: [RegExp, string][] = [
  [/--sse(\s|=|$)/, 'S3 server-side encryption (--sse)'],
  [/aws:kms/, 'S3 SSE-KMS (aws:kms)'],
  [/--sse-kms-key-id\b/, 'S3 SSE-KMS key'],
  [/--(kms-key|encryption-key|encryption-scope)\b/, 'cloud storage encryption key'],
  [/\bage\s+(-\S+\s+)*-(r|R|-recipient)\b/, 'age encryption'],
  [/\bgpg\b[^;&|\n]*\s(-e|-c|--encrypt|--symmetric)\b/, 'gpg encryption'],
  [/\bopenssl\s+enc\b/, 'openssl enc'],
  [/arn:aws:kms:/, 'KMS key ARN'],
];

interface JobAnalysis {
  takesSnapshot: 'command' | 'annotation' | false;
  offCluster: { verdict: 'yes' | 'no' | 'undetermined'; why: string };
  encryption: string | undefined;
  /** Joined command text, for evidence. */
  commands: string[];
}

function containers(job: V1CronJob): V1Container[] {
  const pod = job.spec?.jobTemplate.spec?.template.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

/** command + args as one line per container; shell line continuations (backslash-newline) are joined. */
function commandText(c: V1Container): string {
  return [...(c.command ?? []), ...(c.args ?? [])].join(' ').replace(/\\\r?\n\s*/g, ' ');
}

export function analyseJob(job: V1CronJob): JobAnalysis {
  const cs = containers(job);
  const commands = cs.map(commandText).filter((t) => t !== '');
  const text = commands.join('\n');
  const annotated = job.metadata?.annotations?.[BACKUP_ANNOTATION] === 'true';
  const takesSnapshot = SNAPSHOT.test(text) ? 'command' : annotated ? 'annotation' : false;
  const volumes = job.spec?.jobTemplate.spec?.template.spec?.volumes ?? [];
  const env = cs.flatMap((c) => c.env ?? []);
  const kmsEnv = env.find((e) => /kms/i.test(e.name) || /arn:aws:kms:/.test(e.value ?? ''));
  const encryption = ENCRYPTION_TEXT.find(([re]) => re.test(text))?.[1] ?? (kmsEnv ? `env ${kmsEnv.name} names a KMS key` : undefined);
  return { takesSnapshot, offCluster: offCluster(text, volumes), encryption, commands };
}

function offCluster(text: string, volumes: V1Volume[]): JobAnalysis['offCluster'] {
  const byText = OFF_CLUSTER_TEXT.find(([re]) => re.test(text));
  if (byText) return { verdict: 'yes', why: `${byText[1]}: ${text.match(byText[0])?.[0] ?? ''}` };
  const nfs = volumes.find((v) => v.nfs);
  if (nfs) return { verdict: 'yes', why: `NFS volume ${nfs.name} (${nfs.nfs?.server}:${nfs.nfs?.path})` };
  const csi = volumes.find((v) => v.csi && OBJECT_STORE_CSI.test(v.csi.driver));
  if (csi) return { verdict: 'yes', why: `object-store CSI volume ${csi.name} (${csi.csi?.driver})` };
  const pvc = volumes.find((v) => v.persistentVolumeClaim);
  if (pvc)
    return {
      verdict: 'undetermined',
      why: `PVC ${pvc.persistentVolumeClaim?.claimName}: its PersistentVolume was not collected, so whether it is off-cluster cannot be told`,
    };
  const local = volumes.filter((v) => v.hostPath || v.emptyDir).map((v) => v.name);
  return {
    verdict: 'no',
    why:
      local.length > 0
        ? `snapshot stays on node-local volumes (${local.join(', ')})`
        : 'no upload to object storage and no network volume found',
  };
}
