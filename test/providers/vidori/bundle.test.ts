import { describeBundlesOf } from "../foreignModules";

describeBundlesOf("vidori");
