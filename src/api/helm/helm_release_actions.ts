/** Options of the Helm actions a HelmRelease runs: install, upgrade, test, rollback and uninstall. */
import { Duration } from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";

export const crdPolicies = ["Skip", "Create", "CreateReplace"] as const;
export const serverSideApplyModes = ["enabled", "disabled", "auto"] as const;

const CrdPolicy = (description: string) => StringEnum(crdPolicies, { description });
const ActionTimeout = () => Type.Optional(Duration("Time limit for this action; defaults to spec.timeout."));

/** What to do when an install or upgrade fails. */
const ActionStrategy = Type.Object(
  {
    name: StringEnum(["RemediateOnFailure", "RetryOnFailure"] as const, {
      description: "Remediate (uninstall or roll back) on failure, or retry the action as it is.",
    }),
    retryInterval: Type.Optional(Duration("Time between retries; only with RetryOnFailure.")),
  },
  { description: "How a failed action is followed up." },
);
const retryIntervalMessage = "retryInterval can only be set with RetryOnFailure";

const remediationFields = {
  ignoreTestFailures: Type.Optional(
    Type.Boolean({ description: "Do not count test failures as action failures; defaults to test.ignoreFailures." }),
  ),
  remediateLastFailure: Type.Optional(Type.Boolean({ description: "Remediate also after the last retry failed." })),
  retries: Type.Optional(Type.Integer({ description: "Failures allowed before giving up; negative for no limit." })),
};

/** Flags install, upgrade and rollback share. */
const waitAndHookFields = {
  disableHooks: Type.Optional(Type.Boolean({ description: "Do not run the chart's hooks." })),
  disableWait: Type.Optional(Type.Boolean({ description: "Do not wait for the resources to become ready." })),
  disableWaitForJobs: Type.Optional(Type.Boolean({ description: "Do not wait for Jobs to complete." })),
};

/** Flags install and upgrade share. */
const renderFields = {
  ...waitAndHookFields,
  disableOpenAPIValidation: Type.Optional(Type.Boolean({ description: "Skip validating manifests against the OpenAPI schema." })),
  disableSchemaValidation: Type.Optional(Type.Boolean({ description: "Skip validating values against the chart's JSON schema." })),
  disableTakeOwnership: Type.Optional(Type.Boolean({ description: "Do not adopt existing objects Helm does not own." })),
};

export const Install = Type.Object(
  {
    ...renderFields,
    crds: Type.Optional(CrdPolicy("What happens to the chart's CRDs on install; defaults to Create.")),
    createNamespace: Type.Optional(Type.Boolean({ description: "Create the target namespace if it does not exist." })),
    remediation: Type.Optional(Type.Object(remediationFields, { description: "Handling of failed installs." })),
    replace: Type.Optional(Type.Boolean({ description: "Reuse the name of a deleted release still in history." })),
    serverSideApply: Type.Optional(Type.Boolean({ description: "Apply with server-side apply." })),
    skipCRDs: Type.Optional(Type.Boolean({ description: "Deprecated: use crds: Skip." })),
    strategy: Type.Optional(
      withRules(ActionStrategy, [
        { rule: "!has(self.retryInterval) || self.name != 'RemediateOnFailure'", message: retryIntervalMessage },
      ]),
    ),
    timeout: ActionTimeout(),
  },
  { description: "Options of Helm install." },
);
export type Install = Static<typeof Install>;

export const Upgrade = Type.Object(
  {
    ...renderFields,
    chartNameChangeStrategy: Type.Optional(
      StringEnum(["InPlaceUpdate", "Reinstall"] as const, {
        description: "Whether a changed chart name reinstalls the release or upgrades it in place.",
      }),
    ),
    cleanupOnFail: Type.Optional(Type.Boolean({ description: "Delete objects created by a failed upgrade." })),
    crds: Type.Optional(CrdPolicy("What happens to the chart's CRDs on upgrade.")),
    force: Type.Optional(Type.Boolean({ description: "Replace objects instead of patching them." })),
    preserveValues: Type.Optional(Type.Boolean({ description: "Keep the values of the last release and merge new ones in." })),
    remediation: Type.Optional(
      Type.Object(
        {
          ...remediationFields,
          strategy: Type.Optional(
            StringEnum(["rollback", "uninstall"] as const, { description: "How a failed upgrade is remediated." }),
          ),
        },
        { description: "Handling of failed upgrades." },
      ),
    ),
    serverSideApply: Type.Optional(
      StringEnum(serverSideApplyModes, { description: "Apply with server-side apply; auto does what the release did." }),
    ),
    strategy: Type.Optional(
      withRules(ActionStrategy, [
        { rule: "!has(self.retryInterval) || self.name == 'RetryOnFailure'", message: retryIntervalMessage },
      ]),
    ),
    timeout: ActionTimeout(),
  },
  { description: "Options of Helm upgrade." },
);
export type Upgrade = Static<typeof Upgrade>;

export const TestFilter = Type.Object(
  {
    exclude: Type.Optional(Type.Boolean({ description: "Leave this test out instead of selecting it." })),
    name: Type.String({ minLength: 1, maxLength: 253, description: "Name of the test." }),
  },
  { description: "Selects or excludes one test." },
);
export type TestFilter = Static<typeof TestFilter>;

export const Test = Type.Object(
  {
    enable: Type.Optional(Type.Boolean({ description: "Run the chart's tests after install and upgrade." })),
    filters: Type.Optional(Type.Array(TestFilter, { description: "Which tests run." })),
    ignoreFailures: Type.Optional(Type.Boolean({ description: "Keep the release ready when tests fail." })),
    timeout: ActionTimeout(),
  },
  { description: "Options of Helm test." },
);
export type Test = Static<typeof Test>;

export const Rollback = Type.Object(
  {
    ...waitAndHookFields,
    cleanupOnFail: Type.Optional(Type.Boolean({ description: "Delete objects created by a failed rollback." })),
    force: Type.Optional(Type.Boolean({ description: "Replace objects instead of patching them." })),
    recreate: Type.Optional(Type.Boolean({ description: "Deprecated, has no effect." })),
    serverSideApply: Type.Optional(
      StringEnum(serverSideApplyModes, { description: "Apply with server-side apply; auto does what the release did." }),
    ),
    timeout: ActionTimeout(),
  },
  { description: "Options of Helm rollback." },
);
export type Rollback = Static<typeof Rollback>;

export const Uninstall = Type.Object(
  {
    deletionPropagation: Type.Optional(
      StringEnum(["background", "foreground", "orphan"] as const, {
        default: "background",
        description: "How dependents of deleted objects are deleted.",
      }),
    ),
    disableHooks: Type.Optional(Type.Boolean({ description: "Do not run the chart's hooks." })),
    disableWait: Type.Optional(Type.Boolean({ description: "Do not wait for the objects to be deleted." })),
    keepHistory: Type.Optional(Type.Boolean({ description: "Keep the release history after uninstalling." })),
    timeout: ActionTimeout(),
  },
  { description: "Options of Helm uninstall." },
);
export type Uninstall = Static<typeof Uninstall>;
