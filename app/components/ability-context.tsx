"use client";

import { unpackRules, type PackRule } from "@casl/ability/extra";
import { AbilityProvider, useAbility } from "@casl/react";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { abilityFromRules, type AppAbility, type AppRule } from "@/lib/policy/ability";
import type { Role } from "@/lib/roles";

export type PackedRules = PackRule<AppRule>[];

const RoleContext = createContext<Role>("developer");

/** Rebuilds, in the browser, the same ability the server enforces, from the packed rules of the signed-in user. */
export function ClientAbility({ packedRules, role, children }: { packedRules: PackedRules; role: Role; children: ReactNode }) {
  const ability = useMemo(() => abilityFromRules(unpackRules<AppRule>(packedRules)), [packedRules]);
  return (
    <AbilityProvider value={ability}>
      <RoleContext.Provider value={role}>{children}</RoleContext.Provider>
    </AbilityProvider>
  );
}

/** A courtesy only: the server checks the same rules again. */
export function useAppAbility(): { ability: AppAbility; role: Role } {
  return { ability: useAbility<AppAbility>(), role: useContext(RoleContext) };
}
