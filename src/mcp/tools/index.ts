// The tool catalog: one file per tool, listed here once.
import type { ToolDefinition } from '../define-tool.js';
import aggregateRecords from './aggregate-records.js';
import callMethod from './call-method.js';
import countRecords from './count-records.js';
import createRecords from './create-records.js';
import deleteRecords from './delete-records.js';
import describeModel from './describe-model.js';
import listModels from './list-models.js';
import readBinaryField from './read-binary-field.js';
import readRecords from './read-records.js';
import searchRecords from './search-records.js';
import updateRecords from './update-records.js';

export const TOOLS = [
  searchRecords,
  readRecords,
  countRecords,
  aggregateRecords,
  listModels,
  describeModel,
  readBinaryField,
  createRecords,
  updateRecords,
  deleteRecords,
  callMethod,
] as unknown as readonly ToolDefinition[];
