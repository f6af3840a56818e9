import {
  deleteFunctionVariableRow,
  findFunctionVariable,
  insertFunctionVariable,
  listFunctionVariableRows,
  updateFunctionVariableRow,
  type FunctionVariableRow,
} from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import type { VariableModel } from '../projects/index.js';
import { requireFunction } from './functions.js';
import { toFunctionVariableModel } from './models.js';
import {
  createResourceVariable,
  deleteResourceVariable,
  getResourceVariable,
  listResourceVariables,
  resourceEnvironment,
  updateResourceVariable,
  type VariableResource,
} from './resource-variables.js';

const FUNCTION_VARIABLES: VariableResource<FunctionVariableRow> = {
  requireOwner: requireFunction,
  secretByDefault: false,
  newRow: (functionId, fields) => ({ ...fields, function_id: functionId }),
  insert: insertFunctionVariable,
  find: findFunctionVariable,
  list: listFunctionVariableRows,
  update: updateFunctionVariableRow,
  remove: deleteFunctionVariableRow,
  toModel: toFunctionVariableModel,
};

export async function createFunctionVariable(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  input: { variableId?: string | undefined; key: string; value: string; secret?: boolean | undefined },
): Promise<VariableModel> {
  return createResourceVariable(FUNCTION_VARIABLES, deps, projectId, functionId, input);
}

export async function listFunctionVariables(deps: ServiceDeps, projectId: string, functionId: string): Promise<{ total: number; variables: VariableModel[] }> {
  return listResourceVariables(FUNCTION_VARIABLES, deps, projectId, functionId);
}

export async function getFunctionVariable(deps: ServiceDeps, projectId: string, functionId: string, variableId: string): Promise<VariableModel> {
  return getResourceVariable(FUNCTION_VARIABLES, deps, projectId, functionId, variableId);
}

export async function updateFunctionVariable(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  variableId: string,
  input: { key: string; value?: string | null; secret?: boolean | null },
): Promise<VariableModel> {
  return updateResourceVariable(FUNCTION_VARIABLES, deps, projectId, functionId, variableId, input);
}

export async function deleteFunctionVariable(deps: ServiceDeps, projectId: string, functionId: string, variableId: string): Promise<void> {
  return deleteResourceVariable(FUNCTION_VARIABLES, deps, projectId, functionId, variableId);
}

/** Project variables, then the function's own (which win): the environment function code sees. */
export async function functionEnvironment(deps: ServiceDeps, projectId: string, functionId: string): Promise<Record<string, string>> {
  return resourceEnvironment(FUNCTION_VARIABLES, deps, projectId, functionId);
}
