// Every operation answers its failures as problem details: at least one 4xx response whose content is
// application/problem+json with a schema that requires `code` (the Problem schema).
export default (responses) => {
  const problems = Object.entries(responses ?? {}).filter(([status, response]) =>
    /^[45]\d\d$/.test(status) &&
    // Spectral hands over the resolved document: the Problem schema itself, not its $ref.
    response?.content?.['application/problem+json']?.schema?.required?.includes('code'));
  return problems.length > 0 ? [] : [{ message: 'The operation declares no application/problem+json error response with a schema that requires code.' }];
};
