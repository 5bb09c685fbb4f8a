import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProxyAddress } from "./create_secret_proxy_command.ts";

test("parseProxyAddress takes http(s)://host[:port] without credentials or path", () => {
  assert.equal(parseProxyAddress("http://proxy.example.com:3128"), "http://proxy.example.com:3128");
  assert.equal(parseProxyAddress("https://10.0.0.1:8443/"), "https://10.0.0.1:8443");
  assert.throws(() => parseProxyAddress("proxy:3128"), /want http:\/\/host:port/);
  assert.throws(() => parseProxyAddress("socks5://proxy:1080"), /want http:\/\/host:port/);
  assert.throws(() => parseProxyAddress("http://u:p@proxy:3128"), /--username and --password/);
  assert.throws(() => parseProxyAddress("http://proxy:3128/path"), /no path or query/);
});
