import { describeBundlesOf } from "../foreignModules";

describeBundlesOf("viostream");
