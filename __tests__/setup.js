// cdktf's jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
require("cdktf/lib/testing/adapters/jest").setupJest();
