import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleFromClaims } from './role-claim';

const settings = {
  roleClaim: 'groups',
  roleMap: { 'catalog-admins': 'admin', 'catalog-editors': 'editor' } as const,
  defaultRole: 'viewer' as const,
};

test('a string or a list: the highest mapped value wins, whatever the order', () => {
  assert.equal(roleFromClaims({ groups: 'catalog-editors' }, settings), 'editor');
  assert.equal(roleFromClaims({ groups: ['catalog-admins', 'staff', 'catalog-editors'] }, settings), 'admin');
  assert.equal(roleFromClaims({ groups: ['catalog-editors', 'catalog-admins'] }, settings), 'admin');
});

test('nothing mapped: the default role, or null (refused) when the default is none', () => {
  for (const claims of [{}, { groups: 'staff' }, { groups: [7, null] }, { groups: { admin: true } }]) {
    assert.equal(roleFromClaims(claims, settings), 'viewer');
    assert.equal(roleFromClaims(claims, { ...settings, defaultRole: null }), null);
  }
  assert.equal(roleFromClaims({ groups: 'toString' }, { ...settings, defaultRole: null }), null, 'own keys only');
});

test('dots reach into objects, as Keycloak nests realm roles', () => {
  const keycloak = { ...settings, roleClaim: 'realm_access.roles' };
  assert.equal(roleFromClaims({ realm_access: { roles: ['offline_access', 'catalog-editors'] } }, keycloak), 'editor');
  assert.equal(roleFromClaims({ realm_access: null }, { ...keycloak, defaultRole: null }), null);
});
