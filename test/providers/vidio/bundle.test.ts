import { describeBundlesOf } from "../foreignModules";

describeBundlesOf("vidio");
