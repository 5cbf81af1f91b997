// Resource pre-request hook: the caller speaks camelCase, the vendor snake_case.
const contact = request_body_map || {};
const body = {
  first_name: contact.firstName,
  last_name: contact.lastName,
  email_address: contact.email,
};
// BOOLEAN configuration arrives as a boolean (other types as strings), so compare with true.
if (configuration['contact.emailupsert'] === true) {
  body.upsert = true;
}
done({ request_vendor_body: body });
