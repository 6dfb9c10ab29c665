export declare const PARTS_MODULE: RegExp;
export declare function callingCodes(): string[];
export declare function callingCodeOf(region: string): string | undefined;
export declare function partsModule(specifier: (callingCode: string) => string): string;
export declare function partModule(callingCode: string): string | undefined;
