import { existsSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { binaryPath } from "../dev/build_tools.ts";
import { componentByName } from "../dev/components.ts";
import { CliError } from "./cli_error.ts";

/** The kustomize to build with: --kustomize-binary, else $SLUICE_KUSTOMIZE, the dev tool cache, then PATH. */
export function findKustomize(flag?: string): string {
  const candidates = flag ? [flag] : [process.env.SLUICE_KUSTOMIZE, binaryPath(componentByName("kustomize"), "kustomize"), "kustomize"];
  for (const c of candidates) {
    if (!c) continue;
    if (isAbsolute(c) || c.includes("/")) {
      if (existsSync(c)) return c;
    } else if ((process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, c)))) {
      return c;
    }
  }
  throw new CliError(`kustomize not found${flag ? ` at ${flag}` : ""}: install it (https://kubectl.docs.kubernetes.io/installation/kustomize/) or pass --kustomize-binary`);
}
