// Svelte 5 reads TypeScript in <script lang="ts"> natively: no preprocessor.
export default {};
