import {
  deleteFunctionVariableRow,
  findFunctionVariable,
  insertFunctionVariable,
  listFunctionVariableRows,
  updateFunctionVariableRow,
  type FunctionVariableRow,
} from '../../data/project/functions.js';
import type { ServiceDeps } from '../deps.js';
import { requireFunction } from './functions.js';
import { toFunctionVariableModel } from './models.js';
import { resourceEnvironment, type VariableResource } from './resource-variables.js';

export const FUNCTION_VARIABLES: VariableResource<FunctionVariableRow> = {
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

/** Project variables, then the function's own (which win): the environment function code sees. */
export async function functionEnvironment(deps: ServiceDeps, projectId: string, functionId: string): Promise<Record<string, string>> {
  return resourceEnvironment(FUNCTION_VARIABLES, deps, projectId, functionId);
}
