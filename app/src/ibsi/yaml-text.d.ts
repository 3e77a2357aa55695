// scripts/build-app.mjs bundles .yaml files as text (esbuild's text loader): the ready IBSI
// parameter files of ibsi/ travel inside the page, byte for byte as the CLI reads them.
declare module "*.yaml" {
  const text: string;
  export default text;
}
