// Properties of the EKS endpoint judgement, the spot where checkov#883, tfsec#910, cloudsploit#823 and
// prowler#2824/#2825 went wrong by reading the three access fields one at a time.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { judgeEksEndpoint } from '../../harness/evaluate/apiEndpointPrivate/eksEndpointAccess.ts';
import type { ApiEndpointSpec } from '../../harness/model/spec.ts';
import type { EksCluster } from '../../harness/model/state.ts';

const cidr = fc.oneof(
  fc.constant('0.0.0.0/0'),
  fc.constant('::/0'),
  fc
    .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
    .map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
);
const cluster = fc
  .record(
    { endpointPublicAccess: fc.boolean(), endpointPrivateAccess: fc.boolean(), publicAccessCidrs: fc.array(cidr, { maxLength: 3 }) },
    { requiredKeys: [] },
  )
  .map((fields): EksCluster => ({ name: 'c', tags: {}, ...fields }));
const spec = fc.oneof(
  fc.constant<ApiEndpointSpec>({ exposure: 'private' }),
  fc.array(cidr, { maxLength: 3 }).map((allowed): ApiEndpointSpec => ({ exposure: 'public', allowedPublicCidrs: allowed })),
  fc.constant<ApiEndpointSpec>({ exposure: 'public' }),
);

describe('EKS endpoint access, read together', () => {
  it('never passes a private spec while public access is on (or defaulted on)', () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const v = judgeEksEndpoint(c, { exposure: 'private' });
        return (c.endpointPublicAccess ?? true) ? v.result !== 'pass' : true;
      }),
    );
  });

  it('passes a private spec exactly when public access is off and private access on', () => {
    fc.assert(
      fc.property(cluster, (c) => {
        const pass = judgeEksEndpoint(c, { exposure: 'private' }).result === 'pass';
        return pass === (c.endpointPublicAccess === false && c.endpointPrivateAccess === true);
      }),
    );
  });

  it('when defaults leave the endpoint open to the internet, it passes only specs that tolerate exactly that', () => {
    const open: EksCluster = {
      name: 'c',
      tags: {},
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    };
    fc.assert(
      fc.property(
        cluster,
        spec,
        fc.subarray(['endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'] as const),
        (c, s, drop) => {
          const partial: EksCluster = { ...c };
          for (const key of drop) delete partial[key];
          const openByDefault = (partial.endpointPublicAccess ?? true) && (partial.publicAccessCidrs ?? []).length === 0;
          return !(openByDefault && judgeEksEndpoint(partial, s).result === 'pass') || judgeEksEndpoint(open, s).result === 'pass';
        },
      ),
    );
  });

  it('never passes a public endpoint open to 0.0.0.0/0 unless the spec lists the whole internet', () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 3 }), (allowed) => {
        const v = judgeEksEndpoint(
          { name: 'c', tags: {}, endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
          { exposure: 'public', allowedPublicCidrs: allowed },
        );
        expect(v.result === 'pass').toBe(allowed.includes('0.0.0.0/0'));
      }),
    );
  });
});
