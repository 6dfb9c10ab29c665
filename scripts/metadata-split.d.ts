export declare const PARTS_MODULE: RegExp;
export declare function callingCodes(): string[];
export declare function callingCodeOf(region: string): string | undefined;
export declare function partsModule(url: string): string;
export declare function partModule(callingCode: string): string | undefined;
