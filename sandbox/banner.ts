import type { RunningServer } from '../server/serve.js';

/** What `npm start` prints once the sandbox listens: where it is, the keys, and what to try first. */
export function sandboxBanner({ url, config, metricsUrl, host, port }: RunningServer): string {
  const loopback = host === '127.0.0.1' || host === '::1' || host.startsWith('127.');
  const listening = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return (
    [
      '',
      `flash-call-verify sandbox on ${url}`,
      loopback
        ? `  Listening on ${listening}: this machine only (HOST=0.0.0.0 opens it to the network).`
        : `  Listening on ${listening}: reachable from other machines. The sandbox verifies any number without a call; never expose it to the internet.`,
      '',
      `  Demo page:      ${url}/`,
      `  The element:    ${url}/widget.js   (site key pk_sandbox, secret sk_sandbox)`,
      `  Sandbox phone:  ${url}/sandbox/calls  ${url}/sandbox/messages`,
      '',
      '  Try the API with curl:',
      `    curl -s ${url}/v1/verifications -H 'Origin: ${url}' -H 'Content-Type: application/json' \\`,
      `         -d '{"siteKey":"pk_sandbox","phone":"+447418301234"}'`,
      `    curl -s ${url}/sandbox/calls          # the caller ID's last digits are the code`,
      `    curl -s ${url}/v1/verifications/ID/check -H 'Origin: ${url}' -H 'Content-Type: application/json' -d '{"code":"1234"}'`,
      `    curl -s ${url}/v1/siteverify -d secret=sk_sandbox -d token=TOKEN`,
      '',
      `  Sandbox mode: calls and texts go to the built-in emulator, never to a phone. Store: ${config.redisUrl ? 'Redis' : 'memory'}.`,
      ...(metricsUrl ? [`  Metrics:        ${metricsUrl}`] : []),
      '',
    ].join('\n') + '\n'
  );
}
