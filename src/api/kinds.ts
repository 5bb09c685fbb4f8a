import type { KindDefinition } from "./kind.ts";
import { alertKind } from "./notification/alert.ts";
import { providerKind } from "./notification/provider.ts";
import { receiverKind } from "./notification/receiver.ts";
import { gitRepositoryKind } from "./source/git_repository.ts";

/** Every kind Sluice serves, in the order their CRDs are generated. */
export const allKinds: KindDefinition[] = [gitRepositoryKind, receiverKind, providerKind, alertKind];
