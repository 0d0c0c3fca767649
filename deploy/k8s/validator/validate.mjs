// Validates every object of the YAML files given (rendered manifests) against the Kubernetes
// OpenAPI schemas shipped by kubernetes-models: unknown kinds, missing required fields, wrong
// types and unknown fields are errors. Exits 1 on the first file with an error.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const groups = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
};

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length) {
      console.error(`${file}: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (!object) continue;
    const where = `${file}: ${object.kind} ${object.metadata?.name}`;
    const module = groups[object.apiVersion];
    if (!module) {
      console.error(`${where}: apiVersion ${object.apiVersion} is not one this validator knows`);
      failures++;
      continue;
    }
    const Model = (await import(module))[object.kind];
    if (!Model) {
      console.error(`${where}: no kind ${object.kind} in ${object.apiVersion}`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
      checked++;
    } catch (error) {
      console.error(`${where}: ${error.message}`);
      failures++;
    }
  }
}
console.log(`${checked} objects valid, ${failures} invalid`);
process.exit(failures ? 1 : 0);
