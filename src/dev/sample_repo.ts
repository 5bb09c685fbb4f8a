import { execFile } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface SampleRepo {
  /** Bare repository served over HTTP (`<gitRoot>/sample.git`). */
  bare: string;
  /** Work tree to edit; every commit is pushed to the bare repository by a post-commit hook. */
  work: string;
  gitRoot: string;
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Sluice demo",
  GIT_AUTHOR_EMAIL: "demo@sluice.local",
  GIT_COMMITTER_NAME: "Sluice demo",
  GIT_COMMITTER_EMAIL: "demo@sluice.local",
};

/** The manifests the demo deploys: a namespace, a 2-replica Deployment, its Service and a ConfigMap. */
export const sampleFiles: Record<string, string> = {
  "deploy/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n",
  "deploy/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: podinfo}
  template:
    metadata:
      labels: {app: podinfo}
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:6.7.1
          ports: [{containerPort: 9898, name: http}]
`,
  "deploy/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: podinfo
  namespace: demo
spec:
  selector: {app: podinfo}
  ports: [{port: 80, targetPort: http}]
`,
  "deploy/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
  namespace: demo
data:
  message: hello from git
`,
};

/** Creates the sample repository under `dir` once; later calls reuse it as the user left it. */
export async function ensureSampleRepo(dir: string): Promise<SampleRepo> {
  const gitRoot = join(dir, "git");
  const bare = join(gitRoot, "sample.git");
  const work = join(dir, "sample");
  if (existsSync(join(work, ".git")) && existsSync(bare)) return { bare, work, gitRoot };
  await mkdir(gitRoot, { recursive: true });
  await exec("git", ["init", "-q", "--bare", "-b", "main", bare], { env: gitEnv });
  await exec("git", ["init", "-q", "-b", "main", work], { env: gitEnv });
  await exec("git", ["remote", "add", "origin", bare], { cwd: work, env: gitEnv });
  for (const [path, text] of Object.entries(sampleFiles)) {
    await mkdir(join(work, path, ".."), { recursive: true });
    await writeFile(join(work, path), text);
  }
  const hook = join(work, ".git", "hooks", "post-commit");
  await writeFile(hook, "#!/bin/sh\n# Sluice demo: publish every commit at once.\nexec git push -q origin HEAD:refs/heads/main\n");
  await chmod(hook, 0o755);
  await exec("git", ["add", "-A"], { cwd: work, env: gitEnv });
  await exec("git", ["commit", "-q", "-m", "Sample app: podinfo with a service and a config map"], { cwd: work, env: gitEnv });
  return { bare, work, gitRoot };
}
