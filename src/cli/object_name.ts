import { InvalidArgumentError } from "commander";

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (DNS subdomain), checked before anything is sent. */
export function parseObjectName(value: string): string {
  if (value.length > 253 || !dnsSubdomain.test(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a valid object name: want lower-case letters, digits, '-' and '.'`);
  }
  return value;
}
