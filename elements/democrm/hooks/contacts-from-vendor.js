// Resource post-response hook: map the vendor's records back to the caller's shape.
if (response_iserror) {
  done();
}
const toCaller = (c) => ({
  id: String(c.id),
  firstName: c.first_name,
  lastName: c.last_name,
  email: c.email_address,
  upserted: c.upsert === true,
});
const body = Array.isArray(response_body) ? response_body.map(toCaller) : toCaller(response_body);
done({ response_body: body });
