/**
 * The one place this app imports the `cdktf` core library.
 *
 * CDKTF 0.21 is the final release; its community fork (CDK Terrain) is mostly a rename.
 * Routing every import through this module keeps a later move to one line.
 */
export {
  App,
  AssetType,
  Aspects,
  DefaultTokenResolver,
  Fn,
  Lazy,
  TerraformIterator,
  StringConcat,
  Token,
  Op,
  LocalBackend,
  S3Backend,
  DataTerraformRemoteState,
  TerraformAsset,
  TerraformBackend,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
} from "cdktf";
export type { IAspect, IResolvable, ITerraformDependable, Precondition, TerraformResourceLifecycle } from "cdktf";
