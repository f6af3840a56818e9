/** The part of json-bigint's API this project uses (the package ships no types). */
declare module 'json-bigint' {
  interface Options {
    strict?: boolean;
    storeAsString?: boolean;
    alwaysParseAsBig?: boolean;
    useNativeBigInt?: boolean;
    protoAction?: 'error' | 'ignore' | 'preserve';
    constructorAction?: 'error' | 'ignore' | 'preserve';
  }
  interface JsonBig {
    parse(text: string, reviver?: (key: string, value: unknown) => unknown): unknown;
    stringify(value: unknown): string;
  }
  function JSONbig(options?: Options): JsonBig;
  namespace JSONbig {
    function parse(text: string, reviver?: (key: string, value: unknown) => unknown): unknown;
    function stringify(value: unknown): string;
  }
  export = JSONbig;
}
