/**
 * Test helper: the steps of the GitHub Action (action.yml) and of the Azure Pipelines template
 * (ci/azure-pipelines.yml) run as their runners would run them, as far as a test can: the step's `env` and
 * script with the expressions replaced by the values a runner gives (`${{ inputs.x }}`, `${{ parameters.x }}`,
 * `$(Variable)`), in bash, in a workspace folder. An expression the helper does not know is an error, so a step
 * that starts using one is not run half-substituted.
 */
import { spawnSync } from "node:child_process";

/** Replaces `${{ name }}` (GitHub and Azure template expressions) from `values`; throws for one not there. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`expression \${{ ${name} }} has no value in the test`);
    return values[name]!;
  });
}

/** Replaces Azure's `$(Name)` macros from `variables`; throws for one not there. */
export function macros(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][\w.]*)\)/g, (_, name: string) => {
    if (!(name in variables)) throw new Error(`macro $(${name}) has no value in the test`);
    return variables[name]!;
  });
}

export interface Step {
  name?: string;
  displayName?: string;
  id?: string;
  run?: string;
  script?: string;
  uses?: string;
  task?: string;
  shell?: string;
  if?: string;
  condition?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

/** Runs a step's script in bash with its env (already substituted) and the runner's own variables. */
export function runStep(script: string, env: Record<string, string>, cwd: string) {
  const r = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
