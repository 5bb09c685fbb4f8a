import type { KindDefinition } from "./kind.ts";
import { gitRepositoryKind } from "./source/git_repository.ts";

/** Every kind Sluice serves, in the order their CRDs are generated. */
export const allKinds: KindDefinition[] = [gitRepositoryKind];
