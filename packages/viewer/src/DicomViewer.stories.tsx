import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { useState } from 'react';
import { countBrightPixels } from '../test/canvasPixels.ts';
import { ctPhantomImageIds, sampleImageId } from '../test/fixtures.ts';
import { DicomViewer } from './DicomViewer.js';
import type { DicomViewerRootProps } from './DicomViewerRoot.js';
import type { ViewerAnnotation } from './viewerAnnotation.js';
import type { ViewerSeries } from './viewerSeries.js';

// Storybook serves packages/viewer/fixtures at /dicom (.storybook/main.ts staticDirs).
const ctSeries: ViewerSeries = {
  seriesInstanceUID: '2.25.1736151093842209714401981532.2',
  description: 'CT phantom, axial 2.5 mm',
  modality: 'CT',
  imageIds: ctPhantomImageIds('/dicom'),
};

const sampleSeries: ViewerSeries[] = [
  {
    seriesInstanceUID: 'ct-small',
    description: 'CT_small',
    modality: 'CT',
    imageIds: [sampleImageId('CT_small.dcm', '/dicom')],
  },
  {
    seriesInstanceUID: 'mr-small',
    description: 'MR_small',
    modality: 'MR',
    imageIds: [sampleImageId('MR_small.dcm', '/dicom')],
  },
  {
    seriesInstanceUID: 'mr-jpeg-ls',
    description: 'MR JPEG-LS lossless',
    modality: 'MR',
    imageIds: [sampleImageId('MR_small_jpeg_ls_lossless.dcm', '/dicom')],
  },
  {
    seriesInstanceUID: 'mr-rle',
    description: 'MR RLE',
    modality: 'MR',
    imageIds: [sampleImageId('MR_small_RLE.dcm', '/dicom')],
  },
  {
    seriesInstanceUID: 'sc-jpeg',
    description: 'RGB JPEG baseline',
    modality: 'OT',
    imageIds: [sampleImageId('SC_rgb_jpeg_dcmtk.dcm', '/dicom')],
  },
];

function FullViewer(props: DicomViewerRootProps) {
  return (
    <div style={{ height: 560 }}>
      <DicomViewer.Root {...props}>
        <DicomViewer.Toolbar />
        <DicomViewer.SeriesBrowser />
        <DicomViewer.Viewport>
          <DicomViewer.Overlay />
        </DicomViewer.Viewport>
      </DicomViewer.Root>
    </div>
  );
}

function WithAnnotations(props: DicomViewerRootProps) {
  const [annotations, setAnnotations] = useState<ViewerAnnotation[]>(
    props.annotations ? [...props.annotations] : [],
  );
  return (
    <>
      <FullViewer {...props} annotations={annotations} onAnnotationsChange={setAnnotations} />
      <output
        aria-label="Annotations JSON"
        style={{ display: 'block', fontSize: 12, whiteSpace: 'pre-wrap' }}
      >
        {JSON.stringify(annotations.map((a) => ({ tool: a.tool, measurements: a.measurements })))}
      </output>
    </>
  );
}

const meta = {
  title: 'Viewer/DicomViewer',
  component: DicomViewer.Root,
  render: (args) => <FullViewer {...args} />,
  parameters: {
    docs: {
      description: {
        component:
          'Cornerstone3D stack viewer as compound parts. Stories read real DICOM: a generated 100-slice CT phantom and python3-pydicom samples, served as static files.',
      },
    },
  },
  argTypes: {
    defaultTool: {
      control: 'select',
      options: [
        'windowLevel',
        'zoom',
        'pan',
        'stackScroll',
        'length',
        'angle',
        'ellipticalRoi',
        'rectangleRoi',
        'probe',
      ],
    },
    allowLocalFiles: { control: 'boolean' },
    defaultViewMode: { control: 'inline-radio', options: ['stack', 'mpr', 'mip'] },
  },
} satisfies Meta<typeof DicomViewer.Root>;

export default meta;
type Story = StoryObj<typeof meta>;

async function waitForImage(canvasElement: HTMLElement) {
  const canvas = within(canvasElement);
  const root = await canvas.findByRole('region', { name: 'DICOM viewer' });
  await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'), { timeout: 30_000 });
  await waitFor(
    () => {
      const image = canvasElement.querySelector('canvas');
      expect(image).not.toBeNull();
      expect(countBrightPixels(image as HTMLCanvasElement)).toBeGreaterThan(1000);
    },
    { timeout: 30_000 },
  );
  return root;
}

export const Data: Story = {
  args: { series: [ctSeries] },
  play: async ({ canvasElement }) => {
    await waitForImage(canvasElement);
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByText(/Im 1\/100/)).toBeInTheDocument());
    canvas.getByRole('application').focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await waitFor(() => expect(canvas.getByText(/Im 3\/100/)).toBeInTheDocument(), { timeout: 10_000 });
  },
};

export const Samples: Story = {
  name: 'pydicom samples (JPEG-LS, RLE, JPEG)',
  args: { series: sampleSeries },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await waitForImage(canvasElement);
    for (const name of ['MR JPEG-LS lossless', 'MR RLE', 'RGB JPEG baseline']) {
      await userEvent.click(canvas.getByRole('button', { name: new RegExp(name) }));
      await waitForImage(canvasElement);
    }
  },
};

export const Loading: Story = {
  args: {
    imageIds: ctSeries.imageIds,
    // An engine that never finishes loading, to show the loading state.
    createEngine: () => new Promise(() => {}),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('status')).toHaveTextContent('Loading images…');
  },
};

export const Empty: Story = {
  args: {},
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('region', { name: 'DICOM viewer' })).toHaveAttribute('data-state', 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent(/Drop DICOM files here/);
  },
};

export const ErrorState: Story = {
  name: 'Error',
  args: { imageIds: ['wadouri:/dicom/does-not-exist.dcm'] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const root = canvas.getByRole('region', { name: 'DICOM viewer' });
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'error'), { timeout: 30_000 });
    await expect(canvas.getByText('NOT_FOUND')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  },
};

export const Dark: Story = {
  args: { series: [ctSeries] },
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await waitForImage(canvasElement);
  },
};

export const Phone: Story = {
  name: 'Phone width',
  args: { series: [ctSeries], defaultTool: 'stackScroll' },
  globals: { viewport: { value: 'phone', isRotated: false } },
  play: async ({ canvasElement }) => {
    await waitForImage(canvasElement);
  },
};

export const LocalFile: Story = {
  name: 'Local file (no server)',
  args: {},
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // What a user picking a file does: the bytes never go to a server, they become a dicomfile: id.
    const bytes = await (await fetch('/dicom/samples/CT_small.dcm')).arrayBuffer();
    const file = new File([bytes], 'CT_small.dcm', { type: 'application/dicom' });
    await userEvent.upload(canvas.getByLabelText('Open files', { selector: 'input' }), file);
    await waitForImage(canvasElement);
    await expect(canvas.getByRole('button', { name: /CT_small\.dcm/ })).toHaveAttribute(
      'aria-current',
      'true',
    );
  },
};

export const Mpr: Story = {
  name: 'MPR (axial, sagittal, coronal)',
  args: { series: [ctSeries], defaultViewMode: 'mpr' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const root = canvas.getByRole('region', { name: 'DICOM viewer' });
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'), { timeout: 60_000 });
    await waitFor(
      () => expect(canvasElement.querySelectorAll('.pacs-viewer__volume-pane canvas')).toHaveLength(3),
      {
        timeout: 30_000,
      },
    );
    await expect(canvas.getByRole('button', { name: 'MPR' })).toHaveAttribute('aria-pressed', 'true');
  },
};

export const Mip: Story = {
  name: 'MIP',
  args: { series: [ctSeries], defaultViewMode: 'mip' },
  play: async ({ canvasElement }) => {
    const root = within(canvasElement).getByRole('region', { name: 'DICOM viewer' });
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'), { timeout: 60_000 });
    await waitFor(
      () => {
        const image = canvasElement.querySelector<HTMLCanvasElement>('.pacs-viewer__volume-pane canvas');
        expect(image).not.toBeNull();
        expect(countBrightPixels(image as HTMLCanvasElement, 250)).toBeGreaterThan(500);
      },
      { timeout: 30_000 },
    );
  },
};

export const Measurements: Story = {
  args: {
    series: [ctSeries],
    defaultTool: 'length',
    annotations: [
      {
        annotationUID: '6d1f0a9e-3c5b-4a51-9a0e-0c0d7d1f2b10',
        tool: 'length',
        imageId: ctSeries.imageIds[0] ?? '',
        points: [
          [20, 64],
          [108, 64],
        ],
      },
    ],
  },
  render: (args) => <WithAnnotations {...args} />,
  play: async ({ canvasElement }) => {
    await waitForImage(canvasElement);
    const canvas = within(canvasElement);
    // 88 pixels at 1.5 mm pixel spacing (PS3.3 C.7.6.2.1.3) = 132 mm.
    await waitFor(
      () => expect(canvas.getByLabelText('Annotations JSON').textContent).toMatch(/"length":132/),
      {
        timeout: 15_000,
      },
    );
  },
};
