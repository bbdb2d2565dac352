/** Engine version printed in reports; kept equal to package.json's (a test checks). */
export const VERSION = "0.1.0";
