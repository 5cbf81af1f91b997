// A background job (README.md, "Background jobs and schedules"): an ES module exporting
// `async run({params, status, log})`; it reaches the elements (`elements.call`) and `kv` as
// web tasks do. Start it with the admin token and follow it by its run id:
//
//   curl -s -X POST http://127.0.0.1:8080/admin/jobs/hello/runs \
//     -H "Authorization: Bearer $ELEMENTAL_ADMIN_TOKEN" -d '{"name":"Ada"}'
//   curl -s http://127.0.0.1:8080/admin/runs/<id> -H "Authorization: Bearer $ELEMENTAL_ADMIN_TOKEN"
export async function run({ params, status, log }) {
  const name = params.name || 'world';
  const listed = await elements.call('demo', 'GET', '/hubs/crm/contacts');
  const contacts = Array.isArray(listed.body) ? listed.body.length : 0;
  status.message(`${contacts} contacts seen`);
  await kv.put('hello:last', { name, contacts });
  log.info(`hello ${name}: ${contacts} contacts`);
  status.success(`Hello, ${name}! The demo CRM has ${contacts} contacts.`);
}
