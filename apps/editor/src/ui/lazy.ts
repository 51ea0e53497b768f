import { type ComponentType, createElement, type ReactNode, useEffect, useReducer } from 'react';

/**
 * A component whose code is loaded on first use (or earlier, with `preload()`), without Suspense:
 * React 19 holds a Suspense boundary's content back for up to 300 ms after its fallback was shown, which
 * would make opening a flow, or the first click on a node, wait for nothing. Once the module is here,
 * every render is synchronous.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: () => ReactNode = () => null,
): ComponentType<P> & { preload(): Promise<unknown> } {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<unknown> | null = null;
  const preload = () => {
    loading ??= load().then((component) => {
      loaded = component;
    });
    return loading;
  };
  // biome-ignore lint/correctness/noComponentHookFactories: called once per component at module scope, never during render
  function Lazy(props: P) {
    const [, rerender] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      let live = true;
      if (!loaded) void preload().then(() => live && rerender());
      return () => {
        live = false;
      };
    }, []);
    return loaded ? createElement(loaded, props) : fallback();
  }
  return Object.assign(Lazy, { preload });
}
