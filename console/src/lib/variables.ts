import type { Functions, Models, Sites } from '@appwrite.io/console';

/** What the variables editor needs of a function or a site. */
export interface VariableSource {
  list(): Promise<Models.Variable[]>;
  create(input: { key: string; value: string; secret: boolean }): Promise<unknown>;
  /** `secret` left undefined keeps the variable as it is (a secret cannot be made plain again). */
  update(variable: Models.Variable, input: { value: string; secret: boolean | undefined }): Promise<unknown>;
  remove(variable: Models.Variable): Promise<unknown>;
}

export function functionVariables(functions: Functions, functionId: string): VariableSource {
  return {
    list: async () => (await functions.listVariables({ functionId })).variables,
    create: (input) => functions.createVariable({ functionId, ...input }),
    update: (variable, input) => functions.updateVariable({ functionId, variableId: variable.$id, key: variable.key, ...input }),
    remove: (variable) => functions.deleteVariable({ functionId, variableId: variable.$id }),
  };
}

export function siteVariables(sites: Sites, siteId: string): VariableSource {
  return {
    list: async () => (await sites.listVariables({ siteId })).variables,
    create: (input) => sites.createVariable({ siteId, ...input }),
    update: (variable, input) => sites.updateVariable({ siteId, variableId: variable.$id, key: variable.key, ...input }),
    remove: (variable) => sites.deleteVariable({ siteId, variableId: variable.$id }),
  };
}
