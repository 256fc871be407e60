// Proposes Terraform's outputs for an environment as a merge request: the infra block of
// helmfile.d/environments/<env>.yaml (scripts/infra-values.mjs) applied to the file at the
// head of the default branch, committed to infra/<env> and opened (or refreshed) as one MR
// labelled infra::<env>. The branch is rewritten on every run, so the open MR always holds
// the newest outputs; resource_group serialises the runs. Nothing here touches the cluster.
// Env: INFRA_ENVIRONMENT (production), INFRA_OUTPUTS_DIR (terraform-outputs), and the
// GitLab variables of gitlab-api.mjs. Exit 0 proposed or current, 1 on any failure.
import { pathToFileURL } from 'node:url';
import { infraFromOutputs, withInfra } from '../../scripts/infra-values.mjs';
import { requiredEnv, projectApi, readFile, commitAndOpen } from './gitlab-api.mjs';

export async function proposeInfra(e = process.env) {
  const environment = requiredEnv(e, 'INFRA_ENVIRONMENT', 'production');
  const dir = requiredEnv(e, 'INFRA_OUTPUTS_DIR', 'terraform-outputs');
  const targetBranch = requiredEnv(e, 'CI_DEFAULT_BRANCH', 'main');
  const file = `helmfile.d/environments/${environment}.yaml`;
  const infra = infraFromOutputs(dir); // refuses malformed outputs before any API call
  const call = projectApi(e);
  const current = await readFile(call, file, targetBranch);
  const text = withInfra(current.text, infra);
  if (text === current.text) {
    console.log(`${file} already holds these outputs: nothing to propose`);
    return { status: 'current' };
  }
  const label = `infra::${environment}`;
  const open = await call('GET', `/merge_requests?state=opened&labels=${encodeURIComponent(label)}&per_page=100`);
  const pipeline = e.CI_PIPELINE_URL ?? '(local run)';
  const mr = await commitAndOpen(call, {
    branch: `infra/${environment}`,
    targetBranch,
    file,
    text,
    lastCommitId: current.lastCommitId,
    message: `Infrastructure values of ${environment} from Terraform\n\nPipeline: ${pipeline}\n`,
    title: `Infrastructure values of ${environment} from Terraform`,
    labels: label,
    open,
    description: [
      `Rewrites \`infra\` in \`${file}\` from \`terragrunt output -json\` of the ${environment} units`,
      '(scripts/infra-values.mjs, docs/gitops.md#infrastructure-values).',
      '',
      `- Redis: \`${infra.redis.host}:${infra.redis.port}\`, ${infra.redis.ca.match(/BEGIN CERTIFICATE/g).length} CA certificate(s)`,
      `- workload service account: \`${infra.workloadServiceAccount}\``,
      `- ingress: \`${infra.ingress.host}\` on \`${infra.ingress.address}\``,
      `- read by: ${pipeline}`,
      '',
      'Merging deploys the releases that use these values; reverting this MR rolls back.',
    ].join('\n'),
  });
  console.log(`infrastructure MR: ${mr.web_url}`);
  return { status: 'proposed', iid: mr.iid };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  proposeInfra().catch((err) => {
    console.error(`infra-values-mr: ${err.message}`);
    process.exit(1);
  });
}
